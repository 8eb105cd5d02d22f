"""The Streamlit pages: thin views where each action calls one domain function."""
