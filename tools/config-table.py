#!/usr/bin/env python3
"""Print the README's configuration table from .env.example (the one list of every variable)."""
import re
import sys

path = sys.argv[1] if len(sys.argv) > 1 else '.env.example'
section, comment, rows = None, [], []
for line in open(path, encoding='utf-8').read().split('\n'):
    m = re.match(r'# ---- (.*?) -+$', line)
    if m:
        section, comment = m.group(1), []
        continue
    m = re.match(r'#([A-Z_]+)=(.*)', line)
    if m and section:
        rows.append((section, m.group(1), m.group(2), ' '.join(comment)))
        comment = []
    elif line.startswith('# ') and section:
        comment.append(line[2:])
    elif not line.strip():
        comment = []
print('| used by | variable | default | meaning |')
print('|---|---|---|---|')
for s, k, v, c in rows:
    default = '`' + v + '`' if v else '(unset)'
    print('| %s | `%s` | %s | %s |' % (s, k, default, c.replace('|', '\\|')))
