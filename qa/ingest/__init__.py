"""Report files to indexed records: read each format, chunk along headings, extract every figure and the facets."""
