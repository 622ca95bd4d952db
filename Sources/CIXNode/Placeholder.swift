enum _PlaceholderCIXNode {}
