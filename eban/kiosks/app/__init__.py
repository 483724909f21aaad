"""The kiosk app served to terminals at /kiosk/."""
