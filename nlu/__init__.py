"""Our NLU: pure language and risk functions, and the Rasa components that wrap them."""
