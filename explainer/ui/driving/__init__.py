"""The "Autonomous driving" page: its URL parameters, figures and sections."""
