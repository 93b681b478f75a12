using Orleans.Runtime;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace EcgOrleans.Client.Cluster;

/// <summary>
/// How the client rides out failures it expects: a silo going away, a message timing out, a gateway restarting.
/// Retries are bounded and jittered; a breaker stops hammering a cluster that keeps failing; requests the system
/// refuses (EcgRequestException) are never retried: they would be refused again.
/// </summary>
internal static class ClientResilience
{
    public static ResiliencePipeline Create(TimeSpan? callTimeout = null, int maxRetries = 8) =>
        new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = maxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(5),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                FailureRatio = 0.9,
                MinimumThroughput = 20,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(2),
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = callTimeout ?? TimeSpan.FromSeconds(60) })
            .Build();

    /// <summary>Errors worth a retry: the cluster, not the request, was at fault.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        Abstractions.EcgRequestException => false,
        TimeoutRejectedException or TimeoutException or BrokenCircuitException => true,
        SiloUnavailableException or OrleansMessageRejectionException => true,
        OrleansException => true,
        System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };
}
