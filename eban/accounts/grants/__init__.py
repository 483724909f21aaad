"""Who may act for whom: proxies (代办) and enterprise agents (经办人), their rules and the acting person."""
