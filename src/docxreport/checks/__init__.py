"""Checks: plain values and templates in, located issues out; they never write.

- :mod:`.values`: one school's or the year's figures (required, ranges, parts, lists…);
- :mod:`.consistency`: published figures against their published parts;
- :mod:`.history`: this year's 上年 against last year's inputs and report;
- :mod:`.progress`: who returned what, and what still prints as "—";
- :mod:`.confirmation`: signed 数据确认表 versions against the workbooks;
- :mod:`.photos`: photo files;
- :mod:`.templates` (with :mod:`.templateparts`, :mod:`.templateschools`,
  :mod:`.templatestructure`, :mod:`.placeholders`): the Word templates.
"""
