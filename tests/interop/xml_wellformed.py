"""Exit 0 if every file named on the command line is well-formed XML."""
import sys
import xml.etree.ElementTree as ET

for path in sys.argv[1:]:
    ET.parse(path)
