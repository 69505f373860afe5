// The live chart's browser side (explainer/ui/live_chart.py): Streamlit calls this on every render of one
// element, with the same node each time; Plotly.react redraws the new figure on it (hover, zoom and the picture
// stay). plotly.js is loaded once per page, into the page itself, from this server.
export default function ({ parentElement, data }) {
  const node = parentElement.querySelector(".live-plot");
  if (window.__livePlotly === undefined) {
    window.__livePlotly = new Promise((resolve, reject) => {
      if (window.Plotly) return resolve(window.Plotly);
      const script = document.createElement("script");
      script.src = data.plotly;
      script.onload = () => resolve(window.Plotly);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  window.__livePlotly.then((Plotly) => {
    if (node.shownFigure === data.figure) return;  // the same figure again: nothing to draw
    node.shownFigure = data.figure;
    const fig = JSON.parse(data.figure);
    node.style.height = ((fig.layout && fig.layout.height) || 450) + "px";
    Plotly.react(node, fig.data || [], fig.layout || {}, Object.assign({ responsive: true }, data.config));
    node.dataset.drawn = String(Number(node.dataset.drawn || 0) + 1);
  });
}
