"""The deep_learning topic's views and figures (Streamlit); its engine is explainer/deep_learning/."""
