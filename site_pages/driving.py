"""Autonomous driving: the stack on a live simulator, end-to-end steering, cloning vs DAgger, the data engine.

Layout only: each section is a `render(url)` in explainer/ui/driving/, the simulation and training live in
explainer/driving/. One URL-bound section picker, so a run draws one section.
"""
import streamlit as st

from explainer.ui import presenter
from explainer.ui.driving import demo, params
from explainer.ui.url_state import UrlState

st.title("Autonomous driving: from the stack to the data engine")
presenter.prose(
    """
How does a car learn to drive, and why does it fail? This page uses a real traffic simulator, **highway-env**,
in place of cartoons: an expert driver model drives it, small networks learn from the expert, and every number
below is measured on the simulator. Four sections: the classic stack from perception to control on one replayed
episode; a network that steers from pixels alone, and what it looks at; whether copying an expert drifts, and
whether DAgger's labels help beyond more data (a controlled comparison); and the loop that looks for rare failures
in a fleet's driving, labels them and retrains.
""", label="What this page shows")
url = UrlState(params.PAGE, params.specs())
section = presenter.sections(url, params.SECTIONS)

demo.render(url, section)

st.header("References")
st.markdown(
    """
- D. A. Pomerleau, "ALVINN: An Autonomous Land Vehicle in a Neural Network", NIPS 1 (1988 conference, 1989
  proceedings); also CMU technical report AIP-77, Jan 1989.
- M. Bojarski et al. (NVIDIA), "End to End Learning for Self-Driving Cars", arXiv:1604.07316, 2016 (DAVE-2, later
  called PilotNet).
- M. Bojarski et al., "VisualBackProp: visualizing CNNs for autonomous driving", arXiv:1611.05418, 2016; as
  "VisualBackProp: Efficient Visualization of CNNs for Autonomous Driving", ICRA 2018.
- S. Ross, G. Gordon and J. A. Bagnell, "A Reduction of Imitation Learning and Structured Prediction to No-Regret
  Online Learning", AISTATS 2011 (DAgger).
- S. Ross and J. A. Bagnell, "Efficient Reductions for Imitation Learning", AISTATS 2010 (the T²ε rate).
- M. Treiber, A. Hennecke and D. Helbing, "Congested traffic states in empirical observations and microscopic
  simulations", Phys. Rev. E 62:1805–1824, 2000 (the Intelligent Driver Model).
- A. Kesting, M. Treiber and D. Helbing, "General Lane-Changing Model MOBIL for Car-Following Models",
  Transportation Research Record 1999:86–94, 2007.
- E. Leurent, "An Environment for Autonomous Driving Decision-Making", GitHub, 2018 (highway-env, now
  Farama-Foundation/HighwayEnv).
- A. Karpathy at Tesla Autonomy Day, 22 Apr 2019: training the networks, collecting data from the fleet, automated
  labelling.
- A. Karpathy at Tesla AI Day, 19 Aug 2021: the vision stack (HydraNets, fusing the cameras into a bird's-eye
  view).
- A. Karpathy, talk at CVPR 2021 (June 2021): vision-only Autopilot and auto-labelling.
"""
)
