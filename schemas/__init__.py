"""The published JSON Schemas of the formats."""
