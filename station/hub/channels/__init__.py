"""Shops at the hub: orders in from Shopify and WooCommerce, tracking back out to them.

See docs/channels.md for the field-by-field mapping and the flows.
"""
