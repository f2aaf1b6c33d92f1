"""What the channels, the actions and the console all use: where data lives, secrets kept on
disk, encryption at rest, pseudonyms and masks, the channels' own store, the shared vocabulary.

It imports none of them, so any of them may import it; it runs in both environments."""
