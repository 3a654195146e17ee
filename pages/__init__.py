"""The app's pages (run through ``st.navigation`` in app.py): layout only, every decision in ``ros1qa``."""
