"""Built-in templates and themes, shipped inside the package."""
