import os
os.remove('@VICTIM@')
