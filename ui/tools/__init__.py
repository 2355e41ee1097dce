"""Qt tools apart from the product: the window benchmark and the screenshot scenes."""
