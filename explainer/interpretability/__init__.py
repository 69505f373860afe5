"""Looking inside the digits CNN: attribution maps (Captum), the sanity checks that test them, what the network
learned (t-SNE of its codes, feature visualisation) and adversarial examples. The model is the Deep learning
page's digits CNN (explainer.deep_learning.cnn): one definition, one shipped trained copy."""
