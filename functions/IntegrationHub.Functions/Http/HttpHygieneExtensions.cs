using System.Globalization;
using System.Threading.RateLimiting;
using IntegrationHub.Functions.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Http;

internal static class HttpHygieneExtensions
{
    /// <summary>Problem responses for every error, body limits, published schemas, and per-caller rate limits.</summary>
    public static IServiceCollection AddRequestHygiene(this IServiceCollection services)
    {
        services.AddOptions<RequestLimitsOptions>().BindConfiguration(RequestLimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblemDetails();
        services.AddHubOpenApi();

        // Responses speak the published contract's JSON: camelCase, enums as camelCase strings, nulls left out.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
                var caller = context.User.Identity?.IsAuthenticated == true ? "sub:" + context.User.CallerId() : "ip:" + context.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = Math.Max(1, limits.PermitsPerMinute / 60),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                Log.RateLimited(context.RequestServices.GetRequiredService<ILogger<RequestLimitsOptions>>(), context.User.CallerId(), context.Request.Path);
                return new ValueTask(Problems.WriteAsync(context, Problems.Create(Problems.RateLimited, $"Too many requests from this caller; try again in {seconds} s.")));
            };
        });
        return services;
    }

    /// <summary>The HTTP pipeline: errors as problems, authentication, rate limits, authorization.</summary>
    public static WebApplication UseHubPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted)
            {
                await Problems.WriteAsync(context, Problems.Create(Problems.NotFound, $"Nothing is served at {context.Request.Path}."));
            }

            // Routing refuses a body whose media type the endpoint does not accept (its JSON body declares application/json).
            if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted)
            {
                await Problems.WriteAsync(context, Problems.Create(Problems.UnsupportedMediaType, $"Content-Type is '{context.Request.ContentType}'; send application/json."));
            }
        });
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapGet("/problems/{type}", (string type) => Problems.Catalogue.TryGetValue(type, out var entry)
            ? Results.Content($"<!doctype html><title>{entry.Title}</title><h1>{entry.Title}</h1><p>HTTP {entry.Status}</p><p>{entry.Explanation}</p>", "text/html; charset=utf-8")
            : Problems.Result(Problems.NotFound, $"There is no problem type '{type}'.")).AllowAnonymous().ExcludeFromDescription();
        app.MapHubOpenApi();
        return app;
    }

    private sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            // The caller went away: there is nobody to answer, and nothing went wrong here.
            if (context.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            switch (exception)
            {
                case ProblemException problem:
                    await AnswerAsync(context, problem.Problem);
                    return true;
                case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                    await AnswerAsync(context, Problems.Create(Problems.PayloadTooLarge, "The body is larger than the server accepts."));
                    return true;
                case BadHttpRequestException bad:
                    await AnswerAsync(context, Problems.Create(Problems.ValidationFailed, bad.Message));
                    return true;
                default:
                    Log.UnhandledError(logger, context.Request.Method, context.Request.Path, exception);
                    return false;
            }
        }

        /// <summary>
        /// Writes the problem, unless the caller went away meanwhile: a body cut short ends the request
        /// before the connection's end is seen, and the answer then has nobody to go to.
        /// </summary>
        private static async Task AnswerAsync(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
        {
            try
            {
                await Problems.WriteAsync(context, problem);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
            {
                // Nobody to answer, and nothing went wrong here.
            }
        }
    }
}
