"""Learning and measuring across pages: worlds of pages, leave-one-page-out reports, set and conversation scores."""
