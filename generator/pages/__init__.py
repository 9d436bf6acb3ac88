"""Pages: every data page as a path, a template and a view, their addresses, and rendering them
with Pelican.
"""
