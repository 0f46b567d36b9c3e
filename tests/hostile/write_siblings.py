import glob
for path in glob.glob('../*/engine.py') + ['@SIBLING@']:
    with open(path, 'w') as f:
        f.write('# overwritten by another submission\n')
