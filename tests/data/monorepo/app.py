from openai import OpenAI

client = OpenAI()
client.responses.create(model="GPT-5.5 Pro", input="x")  # RL101 here, fixed by --fix
client.chat.completions.create(model="gpt-4o", messages=[])  # RL202: within the root's horizon
client.chat.completions.create(model="acme-ft-1", messages=[])  # not in the root's catalog
