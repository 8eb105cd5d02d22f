"""A page that shows hostile text through the desk's escaping, for the browser test: each way
the desk hands Markdown to Streamlit (text, a composed caption, a table cell, an alert), and a
dataframe whose toolbar the project's configuration strips of its CSV download."""

import streamlit as st

from workflow.ui.common import escape_cells, escape_markdown, md

HOSTILE = (
    "![x](http://127.0.0.1:9/x.png) [link](http://127.0.0.1:9/l) http://127.0.0.1:9/bare "
    ":material/home: :red[x] :fire: :streamlit: <img src=x onerror=alert(1)> a -> b "
    "www.evil.example me@evil.example $x^2$"
)
with st.container(key="escaped"):
    st.markdown(escape_markdown(HOSTILE))
    st.caption(md("**{}**", HOSTILE))
    st.table(escape_cells([{"cell": HOSTILE}]))
    st.success(escape_markdown(HOSTILE))
with st.container(key="raw"):
    st.markdown(HOSTILE)  # the control: what the same text does unescaped
with st.container(key="table"):
    st.dataframe([{"cell": '=HYPERLINK("http://127.0.0.1:9/")'}])
