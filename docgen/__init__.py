"""Word documents ready for signature, rendered from templates the office can edit."""
