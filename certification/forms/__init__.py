"""The web pages' forms, a module for each group of pages (the views module of that name)."""
