"""What the tests share: pages walked, people signed in, documents read, servers and render
pools. Test modules import from here (or from tests/world.py, pagecheck.py, commands.py,
texts.py), never from one another."""
