with open('@OUTSIDE@', 'w') as f:
    f.write('written from a submission\n')
