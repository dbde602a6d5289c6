"""The Greeter of examples/greet.proto in Python (grpcio), every method:
the peer of test/grpc.test.ts. The seed's server.py and client.py, beside
this file, are SayHello only.

    python3 greeter.py serve        # prints "port N", serves until killed
    python3 greeter.py call PORT    # calls each method, prints one line each
"""
import sys
from concurrent import futures

import grpc
import greet_pb2
import greet_pb2_grpc


class Greeter(greet_pb2_grpc.GreeterServicer):
    def SayHello(self, request, context):
        return greet_pb2.HelloReply(message=f"Hello, {request.name}!")

    def SayHelloInLanguages(self, request, context):
        for hello in ["Hello, %!", "Bonjour, % !", "Hallo, %!", "¡Hola, %!", "Ciao, %!"]:
            yield greet_pb2.HelloReply(message=hello.replace("%", request.name))

    def SayHelloToAll(self, request_iterator, context):
        names = [r.name for r in request_iterator]
        sentence = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return greet_pb2.HelloReply(message=f"Hello, {sentence}!")

    def Chat(self, request_iterator, context):
        for n, r in enumerate(request_iterator, 1):
            yield greet_pb2.HelloReply(message=f"Hello, {r.name}! ({n})")


def serve():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    greet_pb2_grpc.add_GreeterServicer_to_server(Greeter(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(f"port {port}", flush=True)
    server.wait_for_termination()


def call(port):
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = greet_pb2_grpc.GreeterStub(channel)
        names = lambda *ns: iter([greet_pb2.HelloRequest(name=n) for n in ns])
        print("SayHello:", stub.SayHello(greet_pb2.HelloRequest(name="Alice"), timeout=10).message)
        for r in stub.SayHelloInLanguages(greet_pb2.HelloRequest(name="Bob"), timeout=10):
            print("SayHelloInLanguages:", r.message)
        print("SayHelloToAll:", stub.SayHelloToAll(names("Ann", "Bob", "Cy"), timeout=10).message)
        for r in stub.Chat(names("Dee", "Eve"), timeout=10):
            print("Chat:", r.message)
        # Bytes that are not a HelloRequest (5 bytes of name announced, 2 sent),
        # through a method without serializers: the server answers
        # INVALID_ARGUMENT and goes on serving.
        raw = channel.unary_unary("/Greeter/SayHello")
        try:
            raw(b"\x0a\x05Al", timeout=10)
            print("malformed: answered")
        except grpc.RpcError as e:
            print("malformed:", e.code().name, e.details())
        print("SayHello:", stub.SayHello(greet_pb2.HelloRequest(name="Alice"), timeout=10).message)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve()
    else:
        call(int(sys.argv[2]))
