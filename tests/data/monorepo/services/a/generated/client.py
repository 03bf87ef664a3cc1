MODEL = "gpt-4"  # RL201, but service a excludes generated/
