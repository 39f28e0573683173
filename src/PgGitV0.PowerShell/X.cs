namespace PgGitV0.PowerShell; public class X {}
