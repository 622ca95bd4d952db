print("cix")
