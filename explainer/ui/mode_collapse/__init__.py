"""The mode_collapse topic's views and figures (Streamlit); its engine is explainer/mode_collapse/."""
