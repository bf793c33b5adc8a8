//! Local emulator of the AWS Wickr Admin API.
