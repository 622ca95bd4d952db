enum _PlaceholderCIXTesting {}
