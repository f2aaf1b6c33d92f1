"""Rasa input/output channels: REST (for trying and testing), Telegram, WhatsApp and SMS."""
