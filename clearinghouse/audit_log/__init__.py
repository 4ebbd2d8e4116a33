"""The audit log's pages: browse with filters, download as CSV; and recent generation."""
