"""The gan topic's views and figures (Streamlit); its engine is explainer/gan/."""
