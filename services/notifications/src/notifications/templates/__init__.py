"""GOV.UK Notify-shaped message templates, one YAML file per template (see template_loader)."""
