enum _PlaceholderCIXStore {}
