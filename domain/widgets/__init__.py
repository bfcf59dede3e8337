"""Chat widgets other sites embed: their settings (admins), and the anonymous visitors who write through them."""
