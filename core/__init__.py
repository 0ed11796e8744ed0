"""Pure logic: neither Discord nor the database is needed to run or test it."""
