from openai import OpenAI

client = OpenAI()
client.chat.completions.create(model="gpt-4o", messages=[])  # no RL202: service b's horizon is 10 days
client.chat.completions.create(model="acme-ft-1", messages=[])  # RL201 from service b's catalog
