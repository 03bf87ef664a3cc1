from openai import OpenAI

client = OpenAI()
client.responses.create(model="GPT-5.5 Pro", input="x")  # RL101, ignored by service a
client.chat.completions.create(model="gpt-4", messages=[])  # RL201
