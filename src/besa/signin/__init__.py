"""Sign-in security: lock-out after wrong passwords (django-axes), the TOTP second factor with
recovery codes (django-otp), and the deployment checks of ``besa check --deploy``.

Who needs the second factor is ``policy.requires_second_factor``; the middleware
(``middleware.SecondFactorMiddleware``) keeps a signed-in person who needs it, or who enrolled
a device, on the verification pages until a code is entered. Decisions and settings:
docs/operations.md, "Sign-in security".
"""
