"""The web pages: thin views that parse input with the shared forms and call the actions."""
