"""Mail (issue 17): the templates sent to every unit, the returns fetched from the office's
mailbox into the inbox, and each unit told what to fix. One concern per module: ``settings``
(servers, password, connections), ``log`` (the *Thư đi, thư đến* record), ``outgoing``
(templates), ``attachments`` (what an attachment may be), ``incoming`` (fetch), ``replies``,
and ``local_servers`` (Dovecot and an SMTP server on 127.0.0.1 for the demo and the tests)."""
