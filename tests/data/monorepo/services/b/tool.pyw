MODEL = "gpt-4"  # RL201: service b extends include to *.pyw
