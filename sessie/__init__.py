"""The live session: a small local server on the facilitator's laptop.

Participants answer on their own phones, the projector shows the map and the
results as they come in, and every answer is journaled before it is acknowledged.
"""
