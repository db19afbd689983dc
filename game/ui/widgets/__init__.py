"""Widgets drawn with pygame: the cluster map and the charts."""
