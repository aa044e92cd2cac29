global using Gateway.Tests.Support;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.Logging;
