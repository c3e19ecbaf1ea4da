-- Nothing to do on SQLite: widget caches follow the process's own writes
-- (booking/changes.go), and an SQLite file has one server process. The
-- PostgreSQL side adds the triggers that tell other processes of changes.
SELECT 1;
