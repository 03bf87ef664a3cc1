"""Tabs and wide characters before a finding: the caret must still line up."""
import openai

client = openai.OpenAI()
ROUTES = {"名前": "gallery", "model": "ChatGPT Images 2.0"}


def edit(prompt):
	return client.images.generate(model="GPT-5.5 Thinking", prompt=prompt)
